// Entry point of the single-page app: connects to the compute worker and renders the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initStudio } from './state';
import './styles.css';

initStudio();

// A file dropped next to a drop zone would otherwise make the browser leave the app to display it.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
