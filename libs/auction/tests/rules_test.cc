// The shared rules of competitive grants, each refusal with the code, reason and message a
// caller sees.
#include "nrp/auction/rules.h"

#include <gtest/gtest.h>

#include "nrp/auction/live_board.h"

namespace nrp::auction {
namespace {

using namespace std::chrono_literals;

// 2026-12-31 09:00 CST: bidding runs across the year's end.
const TimePoint kStart = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 12 / 31)) + 1h;
const TimePoint kEnd = kStart + 24h * 10;

Lot Listing(Method m = Method::kListing) {
  Lot lot;
  lot.id = "G-2027-001";
  lot.noun = "grant";
  lot.method = m;
  lot.bidding_start = kStart;
  lot.bidding_end = kEnd;
  lot.starting_price_fen = 1'000'000;
  lot.bid_increment_fen = 50'000;
  lot.reserve_price_fen = 1'200'000;
  return lot;
}

void ExpectRefused(const Status& st, Code code, const std::string& reason,
                   const std::string& message) {
  ASSERT_FALSE(st.ok()) << message;
  EXPECT_EQ(st.error().code(), code);
  if (!reason.empty()) {
    ASSERT_EQ(st.error().rule_violations().size(), 1u);
    EXPECT_EQ(st.error().rule_violations()[0].type, reason);
  }
  EXPECT_EQ(st.error().message(), message);
}

TEST(AuctionRules, TheMinimumIsTheStartingPriceThenTheHighestPlusTheIncrement) {
  EXPECT_EQ(MinimumAcceptableBid(Listing(), Board{}), 1'000'000);
  Board b{3, 1'200'000, "b-3", "003"};
  EXPECT_EQ(MinimumAcceptableBid(Listing(), b), 1'250'000);
  EXPECT_EQ(MinimumAcceptableBid(Listing(Method::kAuction), b), 1'250'000);
  EXPECT_EQ(MinimumAcceptableBid(Listing(Method::kTender), b), 1'000'000);
}

TEST(AuctionRules, BidsAreTakenWhileBiddingRunsAndAtOrAboveTheMinimum) {
  Board b{1, 1'000'000, "b-1", "001"};
  EXPECT_TRUE(CheckBid(Listing(), b, 1'050'000, kStart, false).ok());
  ExpectRefused(CheckBid(Listing(), b, 1'050'000, kStart - 1s, false), Code::kFailedPrecondition,
                "BIDDING_NOT_STARTED",
                "bidding on grant G-2027-001 starts at 2026-12-31T01:00:00.000Z");
  ExpectRefused(CheckBid(Listing(), b, 1'050'000, kEnd, false), Code::kFailedPrecondition,
                "BIDDING_CLOSED", "bidding on grant G-2027-001 ended at 2027-01-10T01:00:00.000Z");
  EXPECT_TRUE(CheckBid(Listing(), b, 1'050'000, kEnd - 1s, false).ok());

  Status low = CheckBid(Listing(), b, 1'049'999, kStart, false);
  ExpectRefused(low, Code::kFailedPrecondition, "BID_TOO_LOW",
                "bid of 10499.99 yuan (1049999 fen) is below the minimum acceptable amount "
                "10500.00 yuan (1050000 fen) (the current highest bid 10000.00 yuan (1000000 fen) "
                "plus the increment 500.00 yuan (50000 fen))");
  EXPECT_EQ(low.error().metadata().at("minimum_acceptable_fen"), "1050000");
  ExpectRefused(CheckBid(Listing(), Board{}, 999'999, kStart, false), Code::kFailedPrecondition,
                "BID_TOO_LOW",
                "bid of 9999.99 yuan (999999 fen) is below the minimum acceptable amount "
                "10000.00 yuan (1000000 fen) (the starting price 10000.00 yuan (1000000 fen))");
  ExpectRefused(CheckBid(Listing(), b, 0, kStart, false), Code::kInvalidArgument, "",
                "amount.fen: must be more than 0 fen");

  // A tender: one sealed bid per bidder, each at least the starting price.
  EXPECT_TRUE(CheckBid(Listing(Method::kTender), b, 1'000'000, kStart, false).ok());
  ExpectRefused(CheckBid(Listing(Method::kTender), b, 1'000'000, kStart, true),
                Code::kFailedPrecondition, "TENDER_ONE_BID",
                "a tender takes one sealed bid per bidder");
}

TEST(AuctionRules, TheHighestBidAtOrAboveTheReserveWins) {
  std::vector<Bid> bids = {{"b-1", "001", 1'100'000, 1}, {"b-2", "002", 1'300'000, 2}};
  ExpectRefused(Decide(Listing(), bids, kEnd - 1s, "").error(), Code::kFailedPrecondition,
                "BIDDING_NOT_ENDED",
                "bidding on grant G-2027-001 runs until 2027-01-10T01:00:00.000Z");
  auto won = Decide(Listing(), bids, kEnd, "");
  ASSERT_TRUE(won.ok());
  EXPECT_TRUE(won->awarded);
  EXPECT_EQ(won->winner->bid_id, "b-2");
  EXPECT_EQ(won->price_fen, 1'300'000);
  EXPECT_EQ(won->valid_bid_count, 2);

  auto below = Decide(Listing(), {{"b-1", "001", 1'150'000, 1}}, kEnd, "");
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(below->awarded);
  EXPECT_EQ(below->highest_fen, 1'150'000);
  EXPECT_EQ(below->failure_reason, "the highest bid is below the reserve price (最高报价低于底价)");
  auto none = Decide(Listing(), {}, kEnd, "");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->awarded);
  EXPECT_EQ(none->failure_reason, "no valid bid (无有效报价)");

  ExpectRefused(Decide(Listing(), bids, kEnd, "b-1").error(), Code::kInvalidArgument, "",
                "winning_bid_id: only a tender names its winning bid; an auction or listing is "
                "won by the highest bid");
}

TEST(AuctionRules, ATenderGoesToTheCommitteesChoiceAtOrAboveTheReserve) {
  Lot tender = Listing(Method::kTender);
  std::vector<Bid> bids = {
      {"t-1", "001", 1'300'000, 1}, {"t-2", "002", 1'300'000, 2}, {"t-3", "003", 1'100'000, 3}};
  ExpectRefused(Decide(tender, bids, kEnd, "").error(), Code::kInvalidArgument, "",
                "winning_bid_id: required to close a tender with bids (评标 result)");
  ExpectRefused(Decide(tender, bids, kEnd, "t-9").error(), Code::kInvalidArgument, "",
                "winning_bid_id: 't-9' is not a bid on grant G-2027-001");
  ExpectRefused(Decide(tender, bids, kEnd, "t-3").error(), Code::kFailedPrecondition,
                "BELOW_RESERVE_PRICE",
                "the chosen bid 11000.00 yuan (1100000 fen) is below the reserve price; a tender "
                "is won only at or above it");
  auto chosen = Decide(tender, bids, kEnd, "t-2");
  ASSERT_TRUE(chosen.ok());
  EXPECT_TRUE(chosen->awarded);
  EXPECT_EQ(chosen->winner->bidder_number, "002");
  EXPECT_EQ(chosen->highest_fen, 1'300'000);
  // No bid at all: the sale fails without a choice.
  auto empty = Decide(tender, {}, kEnd, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->awarded);
}

TEST(AuctionRules, AmongEqualAmountsTheEarlierBidIsTheHigher) {
  auto d = Decide(Listing(Method::kAuction),
                  {{"late", "002", 1'300'000, 7}, {"early", "001", 1'300'000, 3}}, kEnd, "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->winner->bid_id, "early");
}

TEST(AuctionRules, MoneyIsWrittenInYuanAndFen) {
  EXPECT_EQ(FormatMoney(0), "0.00 yuan (0 fen)");
  EXPECT_EQ(FormatMoney(-150), "-1.50 yuan (-150 fen)");
  EXPECT_EQ(FormatMoney(INT64_MIN), "-92233720368547758.08 yuan (-9223372036854775808 fen)");
}

TEST(AuctionRules, TheBoardAloneRefusesOnlyWhatTheRecordWouldRefuse) {
  LiveBoardState s;
  s.board = {2, 1'100'000, "b-2", "002"};
  s.method = Method::kListing;
  s.increment_fen = 50'000;
  s.starting_price_fen = 1'000'000;
  EXPECT_TRUE(LiveBoard::FastCheck(std::nullopt, "G-1", "grant", 1).ok());
  EXPECT_TRUE(LiveBoard::FastCheck(s, "G-1", "grant", 1'150'000).ok());
  Status low = LiveBoard::FastCheck(s, "G-1", "grant", 1'149'999);
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().rule_violations()[0].type, "BID_TOO_LOW");
  s.method = Method::kTender;
  EXPECT_TRUE(LiveBoard::FastCheck(s, "G-1", "grant", 1).ok());
  s.method = Method::kAuction;
  s.board = {};
  EXPECT_TRUE(LiveBoard::FastCheck(s, "G-1", "grant", 1).ok());
}

}  // namespace
}  // namespace nrp::auction
