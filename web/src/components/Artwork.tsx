import { ipfsUrl } from "../lib/format";

/** A work's cover artwork (or first image) from the IPFS gateway, or a coloured placeholder. */
export function Artwork({ cid, title, size = 160 }: { cid: string | null; title: string; size?: number }) {
  if (!cid) {
    const hue = [...title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
    return <div className="artwork placeholder" style={{ width: size, height: size, background: `hsl(${hue} 45% 40%)` }} aria-hidden="true" />;
  }
  return <img className="artwork" src={ipfsUrl(cid)} alt="" width={size} height={size} loading="lazy" decoding="async" />;
}
