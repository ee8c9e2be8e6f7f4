# iamlocal in a container: a static binary on a minimal base image, run as a
# non-root user, its state file on a volume. cmd/iamlocal/dockerfile_test.go
# runs the binary with this file's ENV and ENTRYPOINT (no Docker engine runs
# in CI): keep ENTRYPOINT a JSON array and ENV one KEY=value per line.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/iamlocal ./cmd/iamlocal \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/iamlocal /usr/local/bin/iamlocal
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 4599
# The defaults, as IAMLOCAL_* variables: `docker run -e` changes any of
# them, and flags after the image name come on top. Listening on every
# interface of the container makes the admin endpoints need a token: set
# IAMLOCAL_ADMIN_TOKEN, or read the one printed at start. Other containers
# reach the server by its service name, which IAMLOCAL_ALLOW_HOSTS lists.
ENV IAMLOCAL_ADDR=0.0.0.0:4599 \
    IAMLOCAL_DATA=/data/iamlocal.db \
    IAMLOCAL_ALLOW_HOSTS=iamlocal,host.docker.internal
ENTRYPOINT ["/usr/local/bin/iamlocal", "serve"]
