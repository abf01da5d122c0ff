# esdn container image: the controller on Node 20, from the compiled build npm's prepare script makes (bin/build.js).
# Build stage: compilers are only needed if better-sqlite3 has no prebuilt binary for the platform. The sources
# come in before `npm ci`, because its prepare script compiles them into dist/ (esbuild is a runtime dependency).
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund && test -f dist/cli/esdn.mjs

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# the build is newer than every source file it was made from, so bin/esdn.js runs it rather than tsx
COPY --from=deps /app ./
# The embedded SQLite log lives here unless --store points elsewhere; the image runs as the unprivileged node user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
# 9696: Neutron v2.0 API; 6653: OpenFlow (IANA port for OpenFlow).
EXPOSE 9696 6653
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9696/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The launcher execs node, so node is PID 1 here; esdn installs its own SIGTERM/SIGINT handlers, so `docker stop` shuts it down cleanly.
ENTRYPOINT ["bin/esdn"]
CMD ["serve", "--api-listen", "0.0.0.0:9696"]
