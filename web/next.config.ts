import { join } from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const config: NextConfig = {
  // one self-contained server for the image (issue: Kubernetes delivery)
  output: 'standalone',
  outputFileTracingRoot: join(__dirname, '..'),
  reactStrictMode: true,
  poweredByHeader: false,
  // a product image (at most 2 MiB, catalog's limit) goes to a server action as form data
  experimental: { serverActions: { bodySizeLimit: '3mb' } },
};

// messages and the request's language for server components (i18n/request.ts)
export default createNextIntlPlugin('./i18n/request.ts')(config);
