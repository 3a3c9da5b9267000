import { join } from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // one self-contained server for the image (issue: Kubernetes delivery)
  output: 'standalone',
  outputFileTracingRoot: join(__dirname, '..'),
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
