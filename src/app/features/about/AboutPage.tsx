// About the data: where every demo item comes from (citation, licence), the pairing caveat, the model card and
// the privacy statement.
import { useEffect, useState } from 'react';
import { Markdown } from '../../components/Markdown';
import { PairingNotice } from '../../components/PairingNotice';
import { fetchJson, fetchText, type Asset } from './fetchAsset';
import { checkManifest, checkSources, type DataSource, type ManifestSummary } from './sources';

function useAsset<T>(load: () => Promise<Asset<T>>): Asset<T> {
  const [a, setA] = useState<Asset<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void load().then((v) => live && setA(v));
    return () => {
      live = false;
    };
    // load is a module-level function per call site
  // eslint-disable-next-line react-hooks/exhaustive-deps -- existing dependency list kept as is; to be revisited with the app-state rework
  }, []);
  return a;
}

const loadSources = () => fetchJson('demo/sources.json', checkSources);
const loadCard = () => fetchText('weights/model-card.md');
const loadManifest = () => fetchJson('weights/manifest.json', checkManifest);

function AssetState({ asset, absent }: { asset: Asset<unknown>; absent: string }) {
  if (asset.state === 'loading') return <p className="muted">Loading…</p>;
  if (asset.state === 'absent') return <p className="muted">{absent}</p>;
  if (asset.state === 'error') return <p className="error">{asset.message}</p>;
  return null;
}

function Sources({ sources }: { sources: DataSource[] }) {
  return (
    <div className="table-scroll">
      <table className="sources" data-testid="about-sources">
        <thead>
          <tr>
            <th>Source</th>
            <th className="num">Demo items</th>
            <th>Citation</th>
            <th>Licence</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.id} data-testid="about-source">
              <td>
                <strong>{s.name}</strong>
                <div className="muted small">{s.id}</div>
              </td>
              <td className="num">{s.items}</td>
              <td className="citation">{s.citation}</td>
              <td>
                {s.licenceUrl ? (
                  <a href={s.licenceUrl} target="_blank" rel="noopener noreferrer">
                    {s.licence}
                  </a>
                ) : (
                  s.licence
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ModelSummary({ m }: { m: ManifestSummary }) {
  return (
    <p data-testid="about-model">
      Shipped model <strong>{m.name}</strong> version <code>{m.version}</code> (variant {m.variant}, {m.embedDim}-d
      embeddings), trained on {m.trainedOn.length ? m.trainedOn.join(', ') : 'the sets listed in the model card'}.
      {m.demoPairing && ' Its CXR–ECG link was trained on the demo pairing by shared finding category.'}
    </p>
  );
}

export default function AboutPage() {
  const sources = useAsset(loadSources);
  const card = useAsset(loadCard);
  const manifest = useAsset(loadManifest);
  return (
    <section className="page about">
      <h2>About the data</h2>

      <section>
        <h3>Demo library sources</h3>
        <p className="muted">
          The demo library holds real, openly licensed files, copied unchanged from the public sources below. Each
          licence requires attribution; please cite the sources when you use them.
        </p>
        {sources.state === 'ok' ? <Sources sources={sources.value} /> : <AssetState asset={sources} absent="No demo library is shipped with this build." />}
      </section>

      <section>
        <h3>CXR–ECG pairing</h3>
        <PairingNotice />
      </section>

      <section>
        <h3>Model card</h3>
        {manifest.state === 'ok' && <ModelSummary m={manifest.value} />}
        {card.state === 'ok' ? (
          <div className="panel model-card" data-testid="model-card">
            <Markdown source={card.value} />
          </div>
        ) : (
          <AssetState asset={card} absent="No model card is shipped with this build." />
        )}
      </section>

      <section>
        <h3>Privacy</h3>
        <p data-testid="about-privacy">
          Everything runs in this browser. Files you add are parsed, embedded and stored locally (IndexedDB) and are
          never uploaded: the app only requests its own files (code, model weights, demo library) from the server it
          was loaded from, and its Content Security Policy forbids connections to any other origin. Fine-tuned models
          stay in the browser unless you export them. Clearing the library or the site data removes everything.
        </p>
        <p className="muted small">MEDBind Studio is research software and not a medical device.</p>
      </section>
    </section>
  );
}
