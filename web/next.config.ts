import { join } from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const config: NextConfig = {
  // one self-contained server for the image (issue: Kubernetes delivery)
  output: 'standalone',
  outputFileTracingRoot: join(__dirname, '..'),
  reactStrictMode: true,
  poweredByHeader: false,
};

// messages and the request's language for server components (i18n/request.ts)
export default createNextIntlPlugin('./i18n/request.ts')(config);
