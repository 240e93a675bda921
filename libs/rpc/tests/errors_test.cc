#include "nrp/rpc/errors.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "test_support.h"

namespace nrp::rpc {
namespace {

TEST(ErrorMapping, FieldViolationsTravelAsBadRequest) {
  Error e = testing::FailError("invalid");
  grpc::Status s = ToGrpcStatus(e, "registration.nrp");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), e.message());
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.code(), 3);
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "unit.area_m2");

  Status back = FromGrpcStatus(s);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(back.error().message(), e.message());
  EXPECT_EQ(back.error().field_violations(), e.field_violations());
}

TEST(ErrorMapping, RulesAndReasonTravelAsPreconditionFailureAndErrorInfo) {
  Error e = testing::FailError("precondition");
  grpc::Status s = ToGrpcStatus(e, "registration.nrp");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  ASSERT_EQ(details.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(1).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "SEIZED");
  EXPECT_EQ(info.domain(), "registration.nrp");
  EXPECT_EQ(info.metadata().at("court"), "洛阳市中级人民法院");

  Status back = FromGrpcStatus(s);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(back.error().rule_violations(), e.rule_violations());
  EXPECT_EQ(back.error().reason(), "SEIZED");
  EXPECT_EQ(back.error().metadata(), e.metadata());
}

TEST(ErrorMapping, PlainErrorsAndOk) {
  grpc::Status s = ToGrpcStatus(Error::NotFound("unit 410302001001GB00001 not found"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.details_size(), 0);
  EXPECT_TRUE(ToGrpcStatus(Ok()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  // A status from elsewhere, without details.
  Status back = FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code(), Code::kUnavailable);
  EXPECT_EQ(back.error().message(), "down");
}

}  // namespace
}  // namespace nrp::rpc
