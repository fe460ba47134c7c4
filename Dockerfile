# One image for every service; docker-compose.yml picks the command per service:
#   node dist/gateway/main.js | node dist/subgraphs/<name>/main.js | node dist/scripts/seed.js
ARG NODE_IMAGE=node:20.19-bookworm-slim

# Build: all dependencies (TypeScript, type definitions), compile to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json ./
COPY contract contract
COPY gateway gateway
COPY subgraphs subgraphs
COPY scripts scripts
COPY schema schema
RUN npx tsc -p tsconfig.json

# Production dependencies only, compiled for the same platform as the runtime.
FROM build AS prod-deps
RUN npm ci --omit=dev && npm cache clean --force

# Runtime: no compiler, no dev dependencies, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1 \
    METADATA_SERVER_DETECTION=none
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=prod-deps --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
COPY --chown=node:node schema schema
USER node
EXPOSE 4000 4001 4002 4003 4004
# The gateway with a V8 heap bound (gateway/README.md "Memory"; docker-compose.yml sets it too).
CMD ["node", "--max-old-space-size=512", "dist/gateway/main.js"]
