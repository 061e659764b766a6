/** A QR code as inline SVG (dark on light in both themes, so phones can always read it). */
export function QrCode({ shape, label }: { shape: { size: number; path: string }; label: string }) {
  return (
    <svg
      class="qr-code"
      viewBox={`0 0 ${shape.size} ${shape.size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect class="qr-light" width={shape.size} height={shape.size} />
      <path class="qr-dark" d={shape.path} />
    </svg>
  );
}
