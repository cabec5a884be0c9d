# One image for every ShopGraph service; compose.yaml picks the subcommand.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/shopgraph /shopgraph

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/shopgraph shopgraph && mkdir -p /var/lib/shopgraph \
    && chown shopgraph /var/lib/shopgraph
COPY --from=build /shopgraph /usr/local/bin/shopgraph
COPY schema /etc/shopgraph/schema
COPY router-config /etc/shopgraph/router-config
USER shopgraph
WORKDIR /var/lib/shopgraph
ENTRYPOINT ["shopgraph"]
