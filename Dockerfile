# syntax=docker/dockerfile:1
FROM node:22-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-slim
# `start` and `demo` on the embedded defaults start a private redis-server when REDIS_URL answers nothing.
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production NODE_OPTIONS=--max-semi-space-size=4 HEAP_GROWTH_PERCENT=30 HOST=0.0.0.0 DATA_DIR=/data DATABASE_URL=sqlite:/data/pushgate.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY drizzle ./drizzle
COPY webhook-samples ./webhook-samples
# The simulators' test-only certificate (simulate, demo): read from the package root, as in a checkout.
COPY src/simulators/tls ./src/simulators/tls
# `pushgate <command>` on PATH; ./data is the volume, so commands' data/… defaults land there.
RUN mkdir -p /data && chown node:node /data && ln -s /data data && ln -s /app/bin/pushgate.js /usr/local/bin/pushgate
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "node dist/cli/main.js migrate && exec node dist/cli/main.js start"]
