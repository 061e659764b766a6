/** The URL pattern of a route file: "index.tsx" -> "/", "session/[token].tsx" -> "/session/:token". */
export function routePath(file: string): string {
  const path = file.replace(/\.tsx?$/, "").replace(/(^|\/)index$/, "").replace(
    /\[([A-Za-z_][A-Za-z0-9_]*)\]/g,
    ":$1",
  );
  return `/${path}`;
}
