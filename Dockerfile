# syntax=docker/dockerfile:1
# Production image: compiled TypeScript (the site and the operator's scripts), production
# dependencies only, non-root. It does not embed a database: set MONGODB_URI (see docker-compose.yml).
# The operator's tools run from the compiled output, e.g.
#   docker compose exec app npm run create-admin -- --username NAME

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
# The embedded FerretDB is for installs without MongoDB: skip its Go build here, and compile
# below, once the sources are in.
RUN SKIP_EMBEDDED_DB_BUILD=1 SKIP_BUILD=1 npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY models ./models
# A plain folder (npm run build swaps a symlink, for checkouts where the site may be running).
RUN npx tsc -p tsconfig.build.json --outDir dist

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node scripts/check-build.mjs ./scripts/check-build.mjs
COPY --chown=node:node views ./views
COPY --chown=node:node public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server/index.js"]
