# Build: cgo is needed for SQLite.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/portal ./app

# Run: a small Debian with the binary, a non-root user and a data volume. The upload directories
# exist in the image, so volumes mounted on them (shared by several instances, see
# docker-compose.yml) start owned by the portal's user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data portal \
 && mkdir -p /data/evidence /data/imports /data/rfq-files && chown -R portal /data \
 && chmod 700 /data/evidence /data/imports /data/rfq-files
COPY --from=build /out/portal /usr/local/bin/portal
USER portal
ENV PORTAL_ADDR=:8080 PORTAL_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
# Healthy means serving: /readyz answers 200 once the search index has caught up with the
# database (/healthz answers "starting" before that).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/portal"]
CMD ["serve"]
