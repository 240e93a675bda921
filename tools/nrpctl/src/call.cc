#include "nrp/nrpctl/call.h"

#include <grpcpp/generic/generic_stub.h>

#include "nrp/rpc/errors.h"

namespace nrp::nrpctl {
namespace {

namespace pb = google::protobuf;

grpc::ByteBuffer Serialize(const pb::Message& message) {
  std::string bytes;
  message.SerializeToString(&bytes);
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool Parse(const grpc::ByteBuffer& buffer, pb::Message* message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return message->ParseFromString(bytes);
}

// One operation at a time is outstanding on the queue, so the next event is it.
bool Await(grpc::CompletionQueue& cq, void* tag) {
  void* got = nullptr;
  bool ok = false;
  while (cq.Next(&got, &ok)) {
    if (got == tag) return ok;
  }
  return false;
}

void Drain(grpc::CompletionQueue& cq) {
  cq.Shutdown();
  void* got = nullptr;
  bool ok = false;
  while (cq.Next(&got, &ok)) {
  }
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

Failure FailureFromStatus(const grpc::Status& status, grpc::Channel* channel,
                          std::string_view address) {
  bool transport = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                   status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  if (transport && channel != nullptr && channel->GetState(false) != GRPC_CHANNEL_READY) {
    std::string code = CodeName(static_cast<Code>(status.error_code()));
    return Failure::Connection("cannot reach " + std::string(address) + ": " + code + ": " +
                               OneLine(status.error_message()));
  }
  Status decoded = rpc::FromGrpcStatus(status);
  return Failure::Server(decoded.error());
}

Done Invoke(const std::shared_ptr<grpc::Channel>& channel, std::string_view address,
            const pb::MethodDescriptor* method,
            const std::vector<std::unique_ptr<pb::Message>>& requests,
            std::chrono::milliseconds timeout, const ResponseSink& on_response) {
  bool streaming_in = method->client_streaming();
  if (!streaming_in && requests.size() != 1) {
    return Failure::Usage(method->full_name() + " takes exactly one request, got " +
                          std::to_string(requests.size()));
  }
  const std::string path = "/" + method->service()->full_name() + "/" + method->name();
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::CompletionQueue cq;
  grpc::Status status;
  std::unique_ptr<pb::Message> response(
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
  bool malformed = false;
  int tag = 0;

  if (!streaming_in && !method->server_streaming()) {
    grpc::ByteBuffer request = Serialize(*requests.front());
    auto call = stub.PrepareUnaryCall(&context, path, request, &cq);
    call->StartCall();
    grpc::ByteBuffer reply;
    call->Finish(&reply, &status, &tag);
    Await(cq, &tag);
    call.reset();
    Drain(cq);
    if (!status.ok()) return FailureFromStatus(status, channel.get(), address);
    if (!Parse(reply, response.get())) {
      malformed = true;
    } else {
      on_response(*response);
    }
  } else {
    auto call = stub.PrepareCall(&context, path, &cq);
    call->StartCall(&tag);
    bool open = Await(cq, &tag);
    for (size_t i = 0; open && i < requests.size(); ++i) {
      call->Write(Serialize(*requests[i]), &tag);
      open = Await(cq, &tag);
    }
    if (open) {
      call->WritesDone(&tag);
      Await(cq, &tag);
    }
    while (true) {
      grpc::ByteBuffer reply;
      call->Read(&reply, &tag);
      if (!Await(cq, &tag)) break;
      response->Clear();
      if (!Parse(reply, response.get())) {
        malformed = true;
        break;
      }
      on_response(*response);
    }
    if (malformed) context.TryCancel();
    call->Finish(&status, &tag);
    Await(cq, &tag);
    call.reset();
    Drain(cq);
    if (!malformed && !status.ok()) return FailureFromStatus(status, channel.get(), address);
  }
  if (malformed) {
    return Failure::Local("the response of " + method->full_name() + " does not parse as " +
                          method->output_type()->full_name());
  }
  return Success();
}

}  // namespace nrp::nrpctl
