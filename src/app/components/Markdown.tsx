// Renders the Markdown subset of markdownBlocks.ts as React elements (no innerHTML).
import type { ReactNode } from 'react';
import { parseBlocks, parseInline, safeHref, type Block } from './markdownBlocks';

function InlineText({ text }: { text: string }) {
  return (
    <>
      {parseInline(text).map((t, i) => {
        switch (t.kind) {
          case 'bold':
            return <strong key={i}>{t.text}</strong>;
          case 'em':
            return <em key={i}>{t.text}</em>;
          case 'code':
            return <code key={i}>{t.text}</code>;
          case 'link': {
            const href = safeHref(t.href);
            return href ? (
              <a key={i} href={href} target="_blank" rel="noopener noreferrer">
                {t.text}
              </a>
            ) : (
              <span key={i}>{t.text}</span>
            );
          }
          default:
            return <span key={i}>{t.text}</span>;
        }
      })}
    </>
  );
}

function renderBlock(b: Block, i: number): ReactNode {
  switch (b.kind) {
    case 'heading': {
      const level = Math.min(6, b.level + 2); // page headings are h2; nest the card under them
      const Tag = `h${level}` as 'h3';
      return (
        <Tag key={i}>
          <InlineText text={b.text} />
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p key={i}>
          <InlineText text={b.text} />
        </p>
      );
    case 'quote':
      return (
        <blockquote key={i}>
          <InlineText text={b.text} />
        </blockquote>
      );
    case 'code':
      return <pre key={i}>{b.text}</pre>;
    case 'list': {
      const Tag = b.ordered ? 'ol' : 'ul';
      return (
        <Tag key={i}>
          {b.items.map((it, j) => (
            <li key={j}>
              <InlineText text={it} />
            </li>
          ))}
        </Tag>
      );
    }
    case 'table':
      return (
        <div key={i} className="table-scroll">
          <table className="md-table">
            <thead>
              <tr>
                {b.header.map((h, j) => (
                  <th key={j}>
                    <InlineText text={h} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r, j) => (
                <tr key={j}>
                  {r.map((c, k) => (
                    <td key={k}>
                      <InlineText text={c} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{parseBlocks(source).map(renderBlock)}</div>;
}
