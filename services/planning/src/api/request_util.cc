// Empty: the handlers' admission and error mapping are service::Serve, service::Enter and
// service::Reply (nrp/service/call.h). Kept only while services/planning/CMakeLists.txt lists it.
