# The service image: built with the dev toolchain, shipped with production dependencies only.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json .swcrc ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# In a container the service must listen on every interface; outside one it defaults to 127.0.0.1.
ENV NODE_ENV=production LEDGER_DATA_DIR=/var/lib/ledger HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Not root: the data directory (and the local issuer's key in it) belongs to the unprivileged node user.
RUN mkdir -p /var/lib/ledger && chown node:node /var/lib/ledger && chmod 700 /var/lib/ledger
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
