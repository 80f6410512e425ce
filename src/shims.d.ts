/** Shell scripts are bundled as text (tsup's `.sh` text loader, and a Vite plugin in tests). */
declare module '*.sh' {
  const text: string;
  export default text;
}
