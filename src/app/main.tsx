// Entry point of the single-page app: boots app state (subscribes to the workers' events once, fetches the
// backend and library stats) and renders the shell.
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
