# Every third-party dependency comes from Debian's packages (see scripts/setup).
find_package(PkgConfig REQUIRED)
pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++)
pkg_check_modules(GRPC REQUIRED IMPORTED_TARGET grpc)
pkg_check_modules(PROTOBUF REQUIRED IMPORTED_TARGET protobuf)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(nlohmann_json REQUIRED)
find_program(NRP_PROTOC protoc REQUIRED)
find_program(NRP_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

# gRPC server reflection lives in its own library without a pkg-config file.
find_library(GRPCPP_REFLECTION_LIB grpc++_reflection REQUIRED)
add_library(nrp_grpc_reflection INTERFACE)
target_link_libraries(nrp_grpc_reflection INTERFACE
  "-Wl,--no-as-needed" ${GRPCPP_REFLECTION_LIB} "-Wl,--as-needed" PkgConfig::GRPCPP)
