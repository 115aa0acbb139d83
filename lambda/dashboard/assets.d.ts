// The dashboard's HTML and CSS are bundled as text (esbuild import attribute `with { type: 'text' }`).
declare module '*.html' {
  const text: string;
  export default text;
}
declare module '*.css' {
  const text: string;
  export default text;
}
