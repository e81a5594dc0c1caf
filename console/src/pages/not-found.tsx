import { PageHeader } from '../components/page-header';

export function NotFound({ path }: { path: string }) {
  return (
    <>
      <PageHeader
        title="No such page"
        description={
          <>
            The console has no page <code>#{path}</code>.
          </>
        }
      />
      <p>
        <a href="#/dashboard">Go to the dashboard</a>
      </p>
    </>
  );
}
