// The query image beside the results, drawn from its Blob onto a small canvas: the browser decodes it once,
// scaled down, and the bitmap is closed right after. An <img> on an object URL would leave the encoded
// file and its decoded copy in the page's image cache for every query of a long session.
import { useEffect, useRef, useState } from 'react';

const PREVIEW_CSS_PX = 144; // 9rem, as .query-summary__preview

export function QueryPreview({ image }: { image: Blob }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const sizePx = Math.round(PREVIEW_CSS_PX * (typeof devicePixelRatio === 'number' ? devicePixelRatio : 1));

  useEffect(() => {
    const el = canvas.current;
    if (!el || typeof createImageBitmap !== 'function') return;
    let live = true;
    setFailed(false);
    createImageBitmap(image, { resizeWidth: sizePx, resizeQuality: 'medium' }).then(
      (bitmap) => {
        try {
          const ctx = live ? el.getContext('2d') : null;
          if (!ctx) return;
          // Contain: the whole image in the square, centred.
          const scale = Math.min(sizePx / bitmap.width, sizePx / bitmap.height);
          const w = bitmap.width * scale;
          const h = bitmap.height * scale;
          ctx.clearRect(0, 0, sizePx, sizePx);
          ctx.drawImage(bitmap, (sizePx - w) / 2, (sizePx - h) / 2, w, h);
        } finally {
          bitmap.close();
        }
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [image, sizePx]);

  if (failed) return <div className="query-summary__preview" role="img" aria-label="The query image (no preview)" />;
  return <canvas ref={canvas} className="query-summary__preview" width={sizePx} height={sizePx} role="img" aria-label="The query image" data-testid="query-preview" />;
}
