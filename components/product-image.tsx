/**
 * A product's picture. The catalog's pictures are small SVG files served as they are, so there
 * is nothing to resize or re-encode; a plain `<img>` renders on the server and costs the
 * browser no JavaScript, where `next/image` would add a client component to hydrate per
 * picture. Width and height are always set, so the space is reserved before the file arrives.
 *
 * `loading`: "lcp" for the picture likely to be the largest thing on a phone's first screen
 * (fetched before other images), "eager" for others above the fold, "lazy" for the rest
 * (fetched when scrolled near). The tags are in the HTML the server sends, so the browser's
 * preload scanner finds them as the document arrives; no separate preload hint is needed.
 */
export function ProductImage({
  src,
  alt,
  size,
  loading,
  className,
}: {
  src: string;
  alt: string;
  size: number;
  loading: "lcp" | "eager" | "lazy";
  className?: string;
}) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- see above: nothing for next/image to optimise
    <img
      src={src}
      alt={alt}
      width={size}
      height={size}
      loading={loading === "lazy" ? "lazy" : "eager"}
      fetchPriority={loading === "lcp" ? "high" : undefined}
      className={className}
    />
  );
}
