import { useEffect, useState } from 'preact/hooks';
import { ApiError, getToken, gql, setApiLanguage, setToken, whenUnauthenticated, type Role } from './api';
import { initialLanguage, t, useLanguage, type Lang } from './i18n';
import { History } from './history';
import { ImportStep } from './import-step';
import { JobPage } from './job-page';
import { href, useRoute } from './router';
import { ErrorSummary, PageHeading } from './ui';
import { Wizard } from './wizard';

interface Caller { name: string; role: Role }

export function App() {
  const [lang, setLang] = useState<Lang>(initialLanguage);
  const [caller, setCaller] = useState<Caller | null>(null);
  const [checking, setChecking] = useState(Boolean(getToken()));
  useLanguage(lang, false);
  setApiLanguage(lang);

  const signIn = async (token: string) => {
    setToken(token);
    try {
      const { me } = await gql<{ me: Caller }>('{ me { name role } }');
      setCaller(me);
    } catch (error) {
      setToken(null);
      throw error;
    } finally {
      setChecking(false);
    }
  };
  const signOut = () => {
    setToken(null);
    setCaller(null);
  };
  useEffect(() => {
    whenUnauthenticated(signOut);
    const token = getToken();
    if (token) signIn(token).catch(() => {});
  }, []);

  const switchTo = (next: Lang) => {
    useLanguage(next, true);
    setLang(next);
  };

  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <p class="brand">{t('app.title')}</p>
        {caller && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {caller.role !== 'VIEWER' && (
                <li>
                  <a href={href.wizard}>{t('nav.wizard')}</a>
                </li>
              )}
              <li>
                <a href={href.history}>{t('nav.history')}</a>
              </li>
            </ul>
          </nav>
        )}
        <div class="tools">
          <button type="button" class="link" lang={lang === 'fr' ? 'en' : 'fr'} onClick={() => switchTo(lang === 'fr' ? 'en' : 'fr')}>
            {t('app.switchLanguage')}
          </button>
          {caller && (
            <>
              <span class="who">{t('app.signedInAs', { name: caller.name, role: t(`role.${caller.role}`) })}</span>
              <button type="button" class="link" onClick={signOut}>
                {t('app.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" key={lang}>
        {caller ? <Routes caller={caller} /> : checking ? <p role="status">{t('app.loading')}</p> : <SignIn onSignIn={signIn} />}
      </main>
    </>
  );
}

function Routes({ caller }: { caller: Caller }) {
  const route = useRoute();
  const canImport = caller.role !== 'VIEWER';
  switch (route.page) {
    case 'import':
      return <ImportStep jobId={route.jobId} canImport={canImport} />;
    case 'job':
      return <JobPage jobId={route.jobId} canImport={canImport} />;
    case 'history':
      return <History />;
    default:
      return canImport ? <Wizard /> : <History viewerNote />;
  }
}

function SignIn({ onSignIn }: { onSignIn: (token: string) => Promise<void> }) {
  const [token, setTokenValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (!token.trim()) return setError(new ApiError(t('signIn.empty'), 'EMPTY'));
    setBusy(true);
    try {
      await onSignIn(token.trim());
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'UNAUTHENTICATED' ? new ApiError(t('signIn.refused'), caught.code) : (caught as ApiError));
      setBusy(false);
    }
  };
  return (
    <form class="card narrow" onSubmit={submit} noValidate>
      <PageHeading>{t('signIn.title')}</PageHeading>
      <ErrorSummary error={error} />
      <p>{t('signIn.help')}</p>
      <label for="token">{t('signIn.token')}</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setTokenValue(e.currentTarget.value)} />
      <p class="hint">{t('signIn.kept')}</p>
      <button type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}
