import { useEffect, useState } from "react";

/** A QR code (SVG) for a URL; the encoder is loaded only on pages that show one. */
export function QrCode({ url, label }: { url: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then((QR) => QR.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" })).then((s) => live && setSvg(s));
    return () => {
      live = false;
    };
  }, [url]);
  return <div className="qr" role="img" aria-label={label} data-url={url} dangerouslySetInnerHTML={svg ? { __html: svg } : undefined} />;
}
