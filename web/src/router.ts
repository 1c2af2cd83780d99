import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'wizard' }
  | { page: 'import'; jobId: string }
  | { page: 'history' }
  | { page: 'job'; jobId: string };

/** Routes live in the URL's hash, so that a reload (or a link) comes back to the same page. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  let match = /^\/import\/(\d+)$/.exec(path);
  if (match) return { page: 'import', jobId: match[1] };
  match = /^\/jobs\/(\d+)$/.exec(path);
  if (match) return { page: 'job', jobId: match[1] };
  if (path === '/jobs') return { page: 'history' };
  return { page: 'wizard' };
}

export const href = {
  wizard: '#/',
  import: (id: string) => `#/import/${id}`,
  history: '#/jobs',
  job: (id: string) => `#/jobs/${id}`,
};

export const navigate = (to: string) => {
  location.hash = to;
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
