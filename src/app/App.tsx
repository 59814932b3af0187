// The application shell: header with the compute backend, navigation, the data caveat and the current page.
import { lazy, Suspense, type ComponentType } from 'react';
import { BackendBadge, BackendSetting } from './components/BackendBadge';
import { Notices } from './components/Notices';
import { PairingNotice } from './components/PairingNotice';
import { ReembedStatus } from './components/ReembedStatus';
import AboutPage from './features/about/AboutPage';
import LibraryPage from './features/library/LibraryPage';
import SearchPage from './features/search/SearchPage';
import { routeHref, useRoute, type Route } from './router';

const ZeroShotPage = lazy(() => import('./features/zeroshot'));
const FewShotPage = lazy(() => import('./features/fewshot'));
const PairsPage = lazy(() => import('./features/pairs'));
const ExplorerPage = lazy(() => import('./features/explorer'));
const ClinicalPage = lazy(() => import('./features/clinical'));

const PAGES: Record<Route, { label: string; Page: ComponentType }> = {
  library: { label: 'Library', Page: LibraryPage },
  search: { label: 'Search', Page: SearchPage },
  zeroshot: { label: 'Zero-shot', Page: ZeroShotPage },
  fewshot: { label: 'Few-shot', Page: FewShotPage },
  pairs: { label: 'Pairs', Page: PairsPage },
  explorer: { label: 'Explorer', Page: ExplorerPage },
  clinical: { label: 'Clinical prediction', Page: ClinicalPage },
  about: { label: 'About the data', Page: AboutPage },
};

export function App() {
  const route = useRoute();
  const { Page } = PAGES[route];
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            ⟡
          </span>
          <div>
            <h1 className="brand__name">MEDBind Studio</h1>
            <p className="brand__tag">CXR · 12-lead ECG · clinical text in one embedding space — runs in your browser</p>
          </div>
        </div>
        <div className="topbar__engine">
          <ReembedStatus />
          <BackendBadge />
          <BackendSetting />
        </div>
      </header>
      <nav className="nav" aria-label="Main">
        {(Object.keys(PAGES) as Route[]).map((r) => (
          <a
            key={r}
            href={routeHref(r)}
            data-testid={`nav-${r}`}
            className={`nav__link${r === route ? ' nav__link--active' : ''}`}
            aria-current={r === route ? 'page' : undefined}
          >
            {PAGES[r].label}
          </a>
        ))}
      </nav>
      <div className="banner">
        <PairingNotice compact />
      </div>
      <Notices />
      <main className="main">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Page />
        </Suspense>
      </main>
      <footer className="footer small muted">
        Research software, not a medical device. Files you add are processed and stored only in this browser.
      </footer>
    </div>
  );
}
