// Entry point of the single-page app.
import { createRoot } from 'react-dom/client';

function App() {
  return <h1>MEDBind Studio</h1>;
}

createRoot(document.getElementById('root')!).render(<App />);
