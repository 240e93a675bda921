#include <gtest/gtest.h>

#include "domain/flow.h"

namespace nrp::restoration {
namespace {

TEST(Flow, ApprovalNeedsAProposedProject) {
  EXPECT_TRUE(CheckProjectStep("p", ProjectState::kProposed, ProjectStep::kApprove).ok());
}

}  // namespace
}  // namespace nrp::restoration
