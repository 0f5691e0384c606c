# syntax=docker/dockerfile:1.7
# The edge: nginx/nginx.conf plus the web app's static build (apps/web/dist), unprivileged.
FROM node:20.19-bookworm-slim AS web
RUN npm install -g pnpm@12.4.2
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@shortlist/web..." \
  && pnpm --filter @shortlist/web build

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY --from=web /repo/apps/web/dist /usr/share/nginx/html
EXPOSE 8080 8081
