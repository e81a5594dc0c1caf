#!/usr/bin/env bash
# Makes the outside components that tests need ready on this machine, installing or starting what
# is missing (Debian's packages), and says nothing when everything is already there. Idempotent.
#
#   bash scripts/test-setup.sh COMPONENT...     (scripts/run-tests.mjs calls it with what the
#                                                selected test files need; see scripts/test-tiers.mjs)
#
# Components: restic aws-cli botocore postgres mariadb moto coffer chromium terraform.
# Exit 1 with what to do when a component is missing and cannot be provided here (not root, no
# apt-get, no such package).
set -uo pipefail

log=$(mktemp -t coffer-test-setup.XXXXXX)
trap 'rm -f "$log"' EXIT
updated=

say() { echo "test setup: $*" >&2; }
fail() { say "$*"; exit 1; }

# apt_install WHAT PACKAGE...: installs Debian packages (apt-get update once per run), or explains.
apt_install() {
  local what=$1; shift
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "$what is missing; install it (Debian: apt-get install $*) and run the tests again"
  fi
  say "installing $what (apt-get install $*)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$updated" ]; then
    apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
    updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "could not install $*; install $what by hand and run the tests again"; }
}

# wait_until WHAT COMMAND...: up to 30 s.
wait_until() {
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "$what did not come up within 30 s"
}

need_root() { # need_root WHAT FIX
  [ "$(id -u)" = 0 ] || fail "$1; $2 (or run the tests as root, which does it)"
}

setup_restic() {
  command -v restic >/dev/null 2>&1 || apt_install restic restic
  local version
  version=$(restic version 2>/dev/null | sed -n 's/^restic \([0-9]*\.[0-9]*\).*/\1/p')
  case "$version" in
    0.1[4-9] | 0.[2-9][0-9] | [1-9]*) ;;
    *) fail "restic ${version:-of unknown version} is too old: the tests need restic 0.14 or newer (repository format v2)" ;;
  esac
}

setup_aws_cli() {
  # pyenv's awscli v1 on these machines, Debian's otherwise.
  command -v aws >/dev/null 2>&1 || apt_install 'the AWS CLI' awscli
}

setup_botocore() {
  python3 -c 'import botocore' >/dev/null 2>&1 || apt_install "python3's botocore" python3-botocore
}

setup_postgres() {
  command -v pg_dump >/dev/null 2>&1 || apt_install 'the PostgreSQL client tools' postgresql-client
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || apt_install 'the PostgreSQL server' postgresql
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    need_root 'PostgreSQL is not running on 127.0.0.1:5432' 'start it (pg_ctlcluster VERSION main start)'
    say 'starting PostgreSQL'
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start >"$log" 2>&1 || { cat "$log" >&2; fail 'PostgreSQL did not start'; }
    wait_until PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
  fi
  # The tests connect as postgres over TCP without a password (trust).
  if ! psql -X -w -q -h 127.0.0.1 -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
    need_root 'PostgreSQL does not let postgres in from 127.0.0.1 without a password' 'add "host all all 127.0.0.1/32 trust" to pg_hba.conf'
    say 'letting postgres in from 127.0.0.1 without a password (pg_hba.conf: trust)'
    local hba
    hba=$(su postgres -c "psql -X -A -t -c 'SHOW hba_file'")
    sed -i '1i host all all 127.0.0.1/32 trust  # added by scripts/test-setup.sh for the tests' "$hba"
    su postgres -c "psql -X -q -c 'SELECT pg_reload_conf()'" >/dev/null
    wait_until 'PostgreSQL trust login' psql -X -w -q -h 127.0.0.1 -U postgres -d postgres -c 'SELECT 1'
  fi
}

maria_tcp() { mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1'; }

setup_mariadb() {
  command -v mariadb-dump >/dev/null 2>&1 || apt_install 'the MariaDB client tools' mariadb-client
  [ -x /usr/sbin/mariadbd ] || apt_install 'the MariaDB server' mariadb-server
  if ! maria_tcp >/dev/null 2>&1 && ! mariadb-admin --silent ping >/dev/null 2>&1; then
    need_root 'MariaDB is not running on 127.0.0.1:3306' 'start it (start-stop-daemon --start --background --exec /usr/sbin/mariadbd)'
    say 'starting MariaDB'
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_until MariaDB mariadb-admin --silent ping
  fi
  # A fresh install lets root in through the socket only; the tests log in over TCP.
  if ! maria_tcp >/dev/null 2>&1; then
    need_root 'MariaDB does not let root in over TCP with an empty password' 'allow it'
    say 'letting root into MariaDB over TCP with an empty password'
    mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
      CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
    wait_until 'MariaDB root login over TCP' maria_tcp
  fi
}

setup_moto() {
  python3 -c 'import moto.server' >/dev/null 2>&1 && return 0
  if command -v apt-cache >/dev/null 2>&1 && apt-cache show python3-moto >/dev/null 2>&1; then
    apt_install "moto's server" python3-moto python3-flask python3-flask-cors
    python3 -c 'import moto.server' >/dev/null 2>&1 && return 0
  fi
  fail "python3 cannot import moto.server: install moto with its server extras (pip install 'moto[server]') and run the tests again"
}

setup_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install "Debian's Chromium" chromium
}

setup_coffer() { :; }    # bin/coffer bundles src/ into dist/ on first use
setup_terraform() { :; } # never installed here: the Terraform tests skip, saying why, where it is absent

for component in "$@"; do
  case "$component" in
    restic | botocore | postgres | mariadb | moto | coffer | chromium | terraform) "setup_$component" ;;
    aws-cli) setup_aws_cli ;;
    *) fail "unknown component '$component' (scripts/test-tiers.mjs lists them)" ;;
  esac
done
