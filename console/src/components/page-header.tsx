import type { ReactNode } from 'react';

/** A page's title (the one h1), what the page is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: { href: string; label: string };
}) {
  return (
    <header className="page-header">
      {back !== undefined && (
        <a className="back-link" href={back.href}>
          ← {back.label}
        </a>
      )}
      <div className="page-header-row">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions !== undefined && <div className="actions">{actions}</div>}
      </div>
      {description !== undefined && <p className="page-description">{description}</p>}
    </header>
  );
}

/** A titled section of a page (h2). */
export function Section({
  title,
  description,
  actions,
  children,
  id,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  return (
    <section className="section" aria-labelledby={id === undefined ? undefined : `${id}-title`} id={id}>
      <div className="section-head">
        <h2 id={id === undefined ? undefined : `${id}-title`}>{title}</h2>
        {actions !== undefined && <div className="actions">{actions}</div>}
      </div>
      {description !== undefined && <p className="section-description">{description}</p>}
      {children}
    </section>
  );
}
