/** The console's icon: a bell on the accent colour. */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1d4ed8"/>
<path d="M16 6a7 7 0 0 0-7 7v5l-2 3v1h18v-1l-2-3v-5a7 7 0 0 0-7-7z" fill="#fff"/>
<circle cx="16" cy="25" r="2.5" fill="#fff"/>
</svg>
`;
