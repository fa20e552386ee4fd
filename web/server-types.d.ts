// api.js takes its types from the server's schemas, and tsc reads the server modules they import.
// The few of those that touch Node are opaque here: the page is checked against the browser's
// globals alone, never Node's.
declare module 'node:*';
interface Buffer extends Uint8Array {}
