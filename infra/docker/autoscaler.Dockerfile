# syntax=docker/dockerfile:1.7
# @shortlist/autoscaler: built from the repository root (`docker compose build autoscaler`).
# Stage 1 installs the workspace and `pnpm deploy`s the app with its production dependencies
# (workspace packages included, as TypeScript run by tsx); stage 2 is that folder alone, run as
# the unprivileged `node` user.
FROM node:20.19-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/* \
  && npm install -g pnpm@12.4.2
WORKDIR /repo
# Native addons (better-sqlite3) build against this image's Node headers when no prebuilt fits.
ENV npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile --filter "@shortlist/autoscaler..." \
  && pnpm --filter @shortlist/autoscaler deploy --prod /out

FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code stays owned by root (read-only for the app); only /data is writable.
COPY --from=build /out /app
# The compose scaler drives `docker compose`: the static docker CLI and its compose plugin.
COPY --from=docker:27.5-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker:27.5-cli /usr/local/libexec/docker/cli-plugins/docker-compose /usr/local/libexec/docker/cli-plugins/docker-compose
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 9100
CMD ["node", "--import", "tsx", "src/main.ts"]
