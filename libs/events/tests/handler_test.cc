// The one classifier of consumer outcomes, code by code, and the typed handler's decoding.
#include "nrp/events/handler.h"

#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>

#include <set>

namespace nrp::events {
namespace {

TEST(Classify, EveryCodeIsTransientOrPermanent) {
  const std::set<Code> transient = {Code::kUnavailable, Code::kAborted, Code::kDeadlineExceeded,
                                    Code::kResourceExhausted};
  for (int c = 1; c <= 16; ++c) {
    const Code code = static_cast<Code>(c);
    SCOPED_TRACE(CodeName(code));
    const HandlerResult r = Classify(Error(code, "why"));
    const bool expect_transient = transient.count(code) > 0;
    EXPECT_EQ(IsTransient(code), expect_transient);
    EXPECT_EQ(r.kind,
              expect_transient ? HandlerResult::Kind::kTransient : HandlerResult::Kind::kPermanent);
    EXPECT_EQ(r.reason, std::string(CodeName(code)) + ": why");
  }
  EXPECT_TRUE(Classify(Ok()).ok());
  EXPECT_EQ(Classify(Status(Error::InvalidArgument("unit_code", "bad"))).reason,
            "INVALID_ARGUMENT: unit_code: bad");
}

TEST(Decode, APayloadOfAnotherTypeOrThatDoesNotParseIsPermanent) {
  google::protobuf::StringValue value;
  value.set_value("洛阳");
  CloudEvent e;
  e.dataschema = "google.protobuf.StringValue";
  e.payload = value.SerializeAsString();
  google::protobuf::StringValue out;
  EXPECT_TRUE(Decode(e, &out).ok());
  EXPECT_EQ(out.value(), "洛阳");

  google::protobuf::Int64Value other;
  HandlerResult wrong = Decode(e, &other);
  EXPECT_EQ(wrong.kind, HandlerResult::Kind::kPermanent);
  EXPECT_EQ(wrong.reason,
            "INVALID_ARGUMENT: ce_dataschema: event carries 'google.protobuf.StringValue', "
            "expected 'google.protobuf.Int64Value'");

  e.payload = "\xff\xff\xff";
  HandlerResult broken = Decode(e, &out);
  EXPECT_EQ(broken.kind, HandlerResult::Kind::kPermanent);
  EXPECT_EQ(broken.reason,
            "INVALID_ARGUMENT: payload: bytes do not parse as google.protobuf.StringValue");
}

}  // namespace
}  // namespace nrp::events
