/** Dashboard entry point (bundled to dist/webview/main.js): picks the host, starts the app. */
import { App } from './app';
import { createHost } from './host';

const root = document.getElementById('app');
if (root) new App(createHost(), root).start();
