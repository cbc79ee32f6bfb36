# syntax=docker/dockerfile:1
# CPU image of Monitor: the framework-dependent linux-x64 publish on the ASP.NET Core
# runtime image (Ubuntu 24.04). Build from the repository root:
#   docker build --tag monitor:0.1.0 .
# Dockerfile.gpu builds the CUDA image.

ARG DOTNET_VERSION=10.0

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source
# .dockerignore limits the context to the solution files and src/.
COPY . .
# The ONNX Runtime package ships only linux-x64 natives, and a linux-x64 publish copies
# only those. The CPU image drops the CUDA and TensorRT providers (about 300 MB), so
# ExecutionProvider auto falls back to CPU here.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/Monitor/Monitor.csproj \
        --configuration Release \
        --runtime linux-x64 \
        --self-contained false \
        --output /app \
    && rm -f /app/libonnxruntime_providers_cuda.so /app/libonnxruntime_providers_tensorrt.so

FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /app ./
# Mount point of the model repository; the Helm chart mounts a volume here.
RUN mkdir /models
ENV Monitor__ModelRepository=/models
EXPOSE 8000 9464
# The "app" user (uid 1654) of the .NET images; the chart's securityContext runs as it.
USER $APP_UID
ENTRYPOINT ["/app/monitor"]
CMD ["serve"]
