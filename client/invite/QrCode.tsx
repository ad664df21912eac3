/** A join link as a QR code, drawn as one SVG path (qr.ts). Loaded on first use: ShareDialog. */
import { qrPath } from './qr.ts';

export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, d } = qrPath(text);
  const quiet = 4;
  const box = size + quiet * 2;
  return (
    <svg className="share-qr" viewBox={`${-quiet} ${-quiet} ${box} ${box}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect x={-quiet} y={-quiet} width={box} height={box} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
