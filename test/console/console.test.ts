/**
 * The web console end to end, in Debian's Chromium against the real `coffer serve` (two
 * accounts in one organization, the manual clock), clicked through as a person would:
 *
 * - the backup account signs in, creates vault `central` and lets production copy into it with
 *   the access policy editor's offered statement; it also has a vault `closed` with no policy;
 * - production signs in, creates a KMS key that the backup account may use, a vault under it,
 *   turns cross-account backup on, creates a plan from scratch whose rule copies to `central`,
 *   assigns its directory by ARN (the assignment shows what it matches now) and sees the
 *   preflight pass;
 * - the manual clock moves a day: the jobs page shows the backup and the copy COMPLETED; the
 *   restore wizard restores the recovery point into a new directory, identical to the source;
 * - an on-demand copy into `closed` fails, and the dashboard shows it first, with the fix;
 * - plans also start from a template and from JSON (refused JSON says why); an on-demand backup
 *   job runs to the end.
 *
 * Every form control has an accessible name; the tabs follow the arrow keys; the pages work at
 * phone width. `npm run screenshots` writes each page to docs/console/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeBackupJobCommand, ListRecoveryPointsByBackupVaultCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import type { Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../scripts/build.mjs';
import { diffDigests, digestTree } from '../support/tree-digest.js';
import { ALPHA, BETA } from '../server/support/accounts.js';
import type { TestAccount } from '../server/support/accounts.js';
import { keysOf, sdk } from '../server/support/clients.js';
import { CENTRAL, EAST, ORGANIZATION_CONFIG_HEAD, vaultArn } from '../server/support/cross-account.js';
import { useCoffer } from '../server/support/server-fixture.js';
import { startHttpReceiver } from '../notifications/support/receivers.js';
import type { HttpReceiver } from '../notifications/support/receivers.js';
import { BACKUP_ROLE, waitFor } from '../server/support/jobs.js';
import { browserMissing, openBrowser, screenshot, unlabelledControls } from './support/browser.js';
import type { Browser } from './support/browser.js';

const missing = browserMissing();
const RESOURCE = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-orders`;
const CLOSED = vaultArn(BETA, EAST, 'closed');
const WIKI = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-wiki`;
const TOPIC = `arn:aws:sns:${EAST}:${ALPHA.accountId}:backup-events`;
const yaml = (hook: string) => `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE}", path: ./source, tags: { team: shop } }
  - { arn: "${WIKI}", path: ./wiki, tags: { team: docs } }
notifications:
  topics:
    - { arn: "${TOPIC}", subscribers: ["${hook}"] }
`;
let receiver: HttpReceiver | undefined;

describe('web console', { skip: missing }, () => {
  const server = useCoffer({
    yaml: async () => {
      await ensureConsoleBuilt();
      receiver = await startHttpReceiver();
      return yaml(receiver.url);
    },
    args: ['--clock', 'manual', '--clock-start', '2027-01-01T00:00:00Z'],
  });
  let browser: Browser;
  let page: Page;
  before(async () => {
    const { dir } = server();
    await mkdir(join(dir, 'source', 'reports'), { recursive: true });
    await mkdir(join(dir, 'wiki'), { recursive: true });
    await writeFile(join(dir, 'wiki', 'index.md'), '# wiki\n');
    await writeFile(join(dir, 'source', 'orders.csv'), 'id,total\n1,10\n2,20\n');
    await writeFile(join(dir, 'source', 'reports', 'q1.bin'), Buffer.alloc(150_000, 3));
    browser = await openBrowser();
    page = browser.page;
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
  });

  const url = (hash = ''): string => `${server().endpoint}/console/${hash}`;
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const nav = (name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });

  async function signIn(account: TestAccount): Promise<void> {
    await page.goto(url());
    await page.getByLabel('Access key ID').fill(account.accessKeyId);
    await page.getByLabel('Secret access key').fill(account.secretAccessKey);
    await page.getByLabel('Region').selectOption(EAST);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Dashboard').waitFor();
    assert.match(await page.locator('.account').innerText(), new RegExp(account.accountId));
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the secret is gone from session storage');
  }

  async function createVault(name: string, keyLabel?: string): Promise<void> {
    await nav('Vaults').click();
    await heading('Vaults').waitFor();
    await page.getByRole('button', { name: 'Create vault' }).first().click();
    const form = page.locator('#create-vault form');
    await form.getByLabel('Vault name').fill(name);
    if (keyLabel !== undefined) await form.getByLabel('Encryption key').selectOption({ label: keyLabel });
    await form.getByRole('button', { name: 'Create vault' }).click();
    await heading(`Vault ${name}`).waitFor();
  }

  async function noUnlabelled(where: string): Promise<void> {
    assert.deepEqual(await unlabelledControls(page), [], `every control on ${where} has an accessible name`);
  }

  test("sign-in refuses a wrong secret with the server's reason", async () => {
    await page.goto(url());
    await screenshot(page, 'sign-in');
    await noUnlabelled('the sign-in page');
    await page.getByLabel('Access key ID').fill(ALPHA.accessKeyId);
    await page.getByLabel('Secret access key').fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /signature/i);
  });

  test('the backup account creates vault central and lets production copy into it', async () => {
    await signIn(BETA);
    await createVault('central');
    await page.getByRole('tab', { name: 'Access policy' }).click();
    await page.getByLabel('Source account ID').fill(ALPHA.accountId);
    await page.getByRole('button', { name: 'Allow copies from this account' }).click();
    const policy = await page.getByLabel('Access policy (JSON)').inputValue();
    assert.match(policy, /backup:CopyIntoBackupVault/);
    assert.match(policy, new RegExp(`arn:aws:iam::${ALPHA.accountId}:root`));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Access policy saved.').waitFor();
    await screenshot(page, 'vault-access-policy');
    await noUnlabelled('the access policy editor');
    await createVault('closed');
    await signOut();
  });

  test('production: a key the backup account may use, a vault under it, cross-account backup on', async () => {
    await signIn(ALPHA);
    await nav('KMS keys').click();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const form = page.locator('#create-key form');
    await form.getByLabel('Description').fill('production backups');
    await form.getByLabel('Alias').fill('prod-backups');
    await form.getByLabel(/Also let this account use the key/).fill(BETA.accountId);
    await form.getByRole('button', { name: 'Create key' }).click();
    await heading('production backups').waitFor();
    assert.match(await page.getByLabel('Policy (JSON)').inputValue(), new RegExp(`AllowBackupAccount${BETA.accountId}`));
    await screenshot(page, 'kms-key');
    await nav('KMS keys').click();
    await page.getByRole('link', { name: 'alias/prod-backups' }).waitFor();
    await screenshot(page, 'kms-keys');

    await createVault('prod', 'alias/prod-backups (customer managed)');
    assert.match(await page.locator('.facts').innerText(), /prod-backups|key\//);

    await nav('Settings').click();
    await page.getByRole('button', { name: 'Turn cross-account backup on' }).click();
    await page.getByText('Cross-account backup is on').waitFor();
    await screenshot(page, 'settings');
    await noUnlabelled('settings');
  });

  let planUrl = '';
  test('production: a plan from scratch with a copy to the backup account, an assignment by ARN, the preflight passes', async () => {
    await nav('Backup plans').click();
    await page.getByRole('link', { name: 'Create plan' }).click();
    await page.getByLabel(/^A template/).check();
    await page.getByLabel('Template', { exact: true }).waitFor();
    await screenshot(page, 'plan-new-template');
    await page.getByLabel(/^Scratch/).check();
    await page.getByRole('button', { name: 'Start with one daily rule' }).click();
    await page.getByLabel('Plan name').fill('production');
    await page.getByLabel('Target vault').selectOption('prod');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Frequency').selectOption('weekly');
    await page.getByLabel('Tuesday').check();
    assert.equal(await page.getByLabel('Schedule expression').inputValue(), 'cron(0 5 ? * SUN,TUE *)');
    await page.getByText('Next runs in Europe/Berlin:').waitFor();
    assert.match(await page.locator('.runs').innerText(), /^(Sun|Tue) \d{4}-\d\d-\d\d 05:00 CET/m);
    await page.getByLabel('Frequency').selectOption('daily');
    assert.equal(await page.getByLabel('Schedule expression').inputValue(), 'cron(0 5 ? * * *)');
    await page.getByLabel('Time zone').fill('Etc/UTC');
    await page.getByLabel('Schedule expression').fill('cron(*/5 * ? * * *)');
    await page.getByText(/at least 60 minutes apart/).waitFor();
    await page.getByLabel('Schedule expression').fill('cron(0 5 ? * * *)');
    await page.getByText('Next runs in Etc/UTC:').waitFor();

    await page.getByRole('button', { name: 'Add copy to another account' }).click();
    await page.getByLabel('Destination vault ARN').fill(CENTRAL);
    await page.getByText('What this copy needs').waitFor();
    assert.match(await page.locator('.explain').last().innerText(), new RegExp(`lets this account \\(${ALPHA.accountId}\\) copy into it`));
    await screenshot(page, 'plan-editor');
    await screenshot(page, 'plan-editor-phone', 390);
    await noUnlabelled('the plan editor');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await heading('production').waitFor();
    planUrl = page.url();
    await page.getByText(/checks fail: these jobs would fail/).waitFor();

    await page.getByRole('link', { name: 'Assign resources' }).first().click();
    await heading('Assign resources').waitFor();
    await page.getByLabel('Assignment name').fill('orders');
    await page.getByLabel('By resource type').check();
    await page.getByLabel(/^EFS/).check();
    await page.getByTestId('match-count').filter({ hasText: '2' }).waitFor();
    await page.getByLabel(/fs-wiki/).check();
    await page.getByTestId('match-count').filter({ hasText: '1' }).waitFor();
    await page.getByLabel('By resource ARN').check();
    await page.getByLabel(new RegExp(`${RESOURCE}`)).check();
    await page.getByTestId('match-count').filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'plan-assign');
    await noUnlabelled('the assignment editor');
    await page.getByRole('button', { name: 'Assign resources' }).click();
    await heading('production').waitFor();
    // The copy to the backup account has no restore target there: a warning, not a failure.
    await page.getByText(/^All \d+ checks the jobs depend on pass; 1 warning: restores there would fail\.$/).waitFor();
    assert.equal(await page.locator('.check-fail').count(), 0);
    assert.match(await page.locator('.check-warn').innerText(), /No restore target for EFS/);
    assert.match(await page.locator('.selection').innerText(), new RegExp(`Matches now: 1 resource[\\s\\S]*${RESOURCE}`));
    await screenshot(page, 'plan-detail');
    await nav('Backup plans').click();
    await page.getByRole('link', { name: 'production' }).waitFor();
    await screenshot(page, 'plans');
  });

  test('the manual clock moves a day: the backup and the copy to the backup account complete', async () => {
    await nav('Jobs').click();
    await page.getByRole('button', { name: '+1 day' }).click();
    await page.getByText(/^Moved to 2027-01-02 00:00 UTC/).waitFor({ timeout: 60_000 });
    await page.getByRole('table', { name: 'backup jobs' }).getByText('completed', { exact: true }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'jobs-backup');
    const backupTab = page.getByRole('tab', { name: 'Backup jobs' });
    await backupTab.focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Copy jobs', selected: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Copy jobs', 'the arrow key moves the focus to the next tab');
    await page.getByRole('table', { name: 'copy jobs' }).getByText('completed', { exact: true }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'jobs-copy');
    const copies = await sdk(server().endpoint, keysOf(BETA), EAST).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'central' }));
    assert.equal(copies.RecoveryPoints?.length, 1, 'the copy is in the backup account');
    assert.equal(copies.RecoveryPoints?.[0]?.Status, 'COMPLETED');
  });

  test('the restore wizard restores the recovery point into a new directory, identical to the source', async () => {
    await nav('Vaults').click();
    await page.getByRole('link', { name: 'prod', exact: true }).click();
    await heading('Vault prod').waitFor();
    await page.getByRole('button', { name: /^Details of the recovery point of fs-orders/ }).click();
    await page.getByRole('heading', { name: 'Recovery point', level: 2 }).waitFor();
    await screenshot(page, 'vault-recovery-points');
    await page.getByRole('link', { name: 'Restore…' }).click();
    await page.getByRole('heading', { name: '2. Restore into a new directory' }).waitFor();
    const target = join(server().dir, 'restored');
    await page.getByLabel('Restore into directory').fill(target);
    await screenshot(page, 'restore-wizard');
    await noUnlabelled('the restore wizard');
    await page.getByRole('button', { name: 'Start restore' }).click();
    await page.getByText('Restored.').waitFor({ timeout: 60_000 });
    assert.deepEqual(diffDigests(await digestTree(join(server().dir, 'source')), await digestTree(target)), []);
    await nav('Jobs').click();
    await page.getByRole('tab', { name: 'Restore jobs' }).click();
    await page.getByRole('table', { name: 'restore jobs' }).getByText('completed', { exact: true }).first().waitFor();
    await screenshot(page, 'jobs-restore');
  });

  test('a copy into a vault that does not allow it fails, and the dashboard shows it first with the fix', async () => {
    await nav('Vaults').click();
    await page.getByRole('link', { name: 'prod', exact: true }).click();
    await page.getByRole('button', { name: /^Details of the recovery point of fs-orders/ }).click();
    await page.getByLabel('Destination vault ARN').fill(CLOSED);
    await page.getByRole('button', { name: 'Start copy job' }).click();
    await page.getByText(/^Copy job .* started/).waitFor();
    await nav('Dashboard').click();
    const failure = page.locator('#failed-copies .failure');
    await failure.first().waitFor({ timeout: 60_000 });
    const text = await failure.first().innerText();
    assert.match(text, /failed/i);
    assert.match(text, /Fix: Add to the access policy of the destination vault/);
    assert.match(text, new RegExp(CLOSED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await screenshot(page, 'dashboard');
    await screenshot(page, 'dashboard-phone', 390);
    await noUnlabelled('the dashboard');
  });

  test('plans start from a template or from JSON, checked by the server', async () => {
    await page.goto(url('#/plans/new?from=template'));
    await page.getByRole('button', { name: 'Use this template' }).click();
    await page.getByLabel('Plan name').waitFor();
    assert.ok((await page.getByLabel('Plan name').inputValue()).length > 0, 'the template names the plan');
    assert.equal(await page.getByLabel('Target vault').first().inputValue(), 'prod', "the template's Default vault is pointed at a vault that exists");
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel(/^JSON/).check();
    await page.getByLabel('Plan JSON').fill(
      JSON.stringify({
        BackupPlan: {
          BackupPlanName: 'from-json',
          Rules: [{ RuleName: 'hourly', TargetBackupVaultName: 'prod', ScheduleExpression: 'cron(0/10 * ? * * *)' }],
        },
      }),
    );
    await page.getByRole('button', { name: 'Check and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'The JSON is not a valid plan' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /ScheduleExpression/);
    await page.getByLabel('Plan JSON').fill(
      JSON.stringify({
        BackupPlanName: 'from-json',
        Rules: [{ RuleName: 'twice-a-day', TargetBackupVaultName: 'prod', ScheduleExpression: 'cron(0 0/12 ? * * *)' }],
      }),
    );
    await page.getByRole('button', { name: 'Check and continue' }).click();
    assert.equal(await page.getByLabel('Plan name').inputValue(), 'from-json');
    assert.equal(await page.getByLabel('Frequency').inputValue(), 'twelve', 'the builder reads the expression back');
  });

  test('a backup job started on demand runs to the end', async () => {
    await page.goto(url('#/jobs/new'));
    await heading('Start a backup job').waitFor();
    await page.getByLabel('Resource').selectOption(WIKI);
    await screenshot(page, 'jobs-new');
    await noUnlabelled('the new backup job page');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await heading('Jobs').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'fs-wiki' });
    await row.getByText('completed', { exact: true }).waitFor({ timeout: 60_000 });
  });

  test('the other pages render: vaults, vault lock, notifications, legal holds; phone width', async () => {
    await nav('Vaults').click();
    await page.getByRole('table', { name: 'Vaults' }).waitFor();
    await screenshot(page, 'vaults');
    await page.getByRole('link', { name: 'prod', exact: true }).click();
    for (const [tab, name, check] of [
      ['Vault lock', 'vault-lock', 'Lock this vault'],
      ['Notifications', 'vault-notifications', 'SNS topic ARN'],
      ['Legal holds', 'vault-legal-holds', 'Place a legal hold'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByText(check).first().waitFor();
      await screenshot(page, name);
      await noUnlabelled(`the vault's ${tab} tab`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav('Jobs').click();
    await heading('Jobs').waitFor();
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      true,
      'no sideways scrolling of the page at phone width',
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(browser.errors, [], 'no errors in the page');
  });

  test('vault notifications set in the console are delivered, and the Notifications page lists them', async () => {
    await page.goto(url('#/vaults/prod?tab=notifications'));
    await page.getByLabel('SNS topic ARN').fill(TOPIC);
    await page.getByLabel(/Backup job successful/).check();
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await page.getByText('Notifications saved.').waitFor();
    const client = sdk(server().endpoint, keysOf(ALPHA), EAST);
    const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'prod', ResourceArn: WIKI, IamRoleArn: BACKUP_ROLE(ALPHA.accountId) }));
    await waitFor(
      'the backup',
      () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
      (j) => j.State === 'COMPLETED' || j.State === 'FAILED',
    );
    await waitFor(
      'the POST',
      async () => receiver!.posts.length,
      (n) => n > 0,
      30_000,
    );
    await nav('Notifications').click();
    await heading('Notifications').waitFor();
    const table = page.getByRole('table', { name: 'Notification deliveries' });
    await table.getByText('delivered', { exact: true }).first().waitFor({ timeout: 30_000 });
    assert.match(await table.innerText(), /BACKUP_JOB_SUCCESSFUL/);
    await screenshot(page, 'notifications');
    await noUnlabelled('the notifications page');
    await page.getByLabel('State').selectOption('FAILED');
    await page.getByText('No deliveries yet.').waitFor();
    assert.deepEqual(browser.errors, [], 'no errors in the page');
  });
});
