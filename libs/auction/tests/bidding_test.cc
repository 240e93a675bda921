// The bidding steps against the real PostgreSQL and Redis, on a lot table of the test's own
// (as a service keeps its lots): concurrent bidders lose no accepted bid and reorder none, the
// live board ends equal to the record, and a refusal records nothing.
#include "nrp/auction/bidding.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/testing/infra.h"

namespace nrp::auction {
namespace {

constexpr int64_t kStart = 1'000'000;
constexpr int64_t kIncrement = 50'000;

TimePoint At(int hour) {
  using namespace std::chrono;
  return TimePoint(sys_days(year(2026) / December / 31)) + hours(hour);
}

// A service's lot table: the lot row holds the board; bids are rows keyed by (lot, seq).
class TestLots final : public LotTable {
 public:
  TestLots(std::string lot_id, bool open) : lot_id_(std::move(lot_id)), open_(open) {}

  Result<LockedLot> Lock(pqxx::work& tx, TimePoint) override {
    auto r = tx.exec_params(
        "SELECT method, seq, highest_fen, highest_bid_id, highest_bidder FROM lots "
        "WHERE lot_id = $1 FOR UPDATE",
        lot_id_);
    if (r.empty()) return Error::NotFound("lot " + lot_id_ + " not found");
    if (!open_) {
      return Error::FailedPrecondition("LOT_STATE", lot_id_, "lot " + lot_id_ + " is closed");
    }
    LockedLot l;
    l.lot.id = lot_id_;
    l.lot.method = static_cast<Method>(r[0][0].as<int>());
    l.lot.bidding_start = At(0);
    l.lot.bidding_end = At(10);
    l.lot.starting_price_fen = kStart;
    l.lot.bid_increment_fen = kIncrement;
    l.board = {r[0][1].as<int64_t>(), r[0][2].as<int64_t>(), r[0][3].c_str(), r[0][4].c_str()};
    return l;
  }
  Result<bool> HasBid(pqxx::work& tx, const std::string& bidder) override {
    return !tx.exec_params("SELECT 1 FROM lot_bids WHERE lot_id = $1 AND bidder = $2", lot_id_,
                           bidder)
                .empty();
  }
  Status Record(pqxx::work& tx, const Bid& bid, TimePoint, bool raises) override {
    tx.exec_params(
        "INSERT INTO lot_bids (lot_id, seq, bid_id, bidder, amount_fen) "
        "VALUES ($1, $2, $3, $4, $5)",
        lot_id_, bid.seq, bid.bid_id, bid.bidder_number, bid.amount_fen);
    if (raises) {
      tx.exec_params(
          "UPDATE lots SET seq = $2, highest_fen = $3, highest_bid_id = $4, highest_bidder = $5 "
          "WHERE lot_id = $1",
          lot_id_, bid.seq, bid.amount_fen, bid.bid_id, bid.bidder_number);
    } else {
      tx.exec_params("UPDATE lots SET seq = $2 WHERE lot_id = $1", lot_id_, bid.seq);
    }
    return Ok();
  }

 private:
  std::string lot_id_;
  bool open_;
};

class BiddingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("auction");
    db::PoolOptions o;
    o.conninfo = db_->conninfo();
    o.size = 8;
    pool_ = db::Pool::Create(o);
    auto made = db::Transact(*pool_, [](pqxx::work& tx) -> Status {
      tx.exec(
          "CREATE TABLE lots (lot_id text PRIMARY KEY, method int NOT NULL, seq bigint NOT NULL "
          "DEFAULT 0, highest_fen bigint NOT NULL DEFAULT 0, highest_bid_id text NOT NULL "
          "DEFAULT '', highest_bidder text NOT NULL DEFAULT '');"
          "CREATE TABLE lot_bids (lot_id text NOT NULL, seq bigint NOT NULL, bid_id text NOT "
          "NULL, bidder text NOT NULL, amount_fen bigint NOT NULL, PRIMARY KEY (lot_id, seq))");
      return Ok();
    });
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    cache::RedisOptions r;
    r.host = nrp::testing::GetInfra().redis_host;
    r.port = nrp::testing::GetInfra().redis_port;
    r.pool_size = 8;
    redis_ = std::make_unique<cache::RedisClient>(r);
    board_ = std::make_unique<LiveBoard>(*redis_, "bidding-test-" + NewUuidV4().substr(0, 8));
    bidding_ = std::make_unique<Bidding>(*board_);
  }

  void AddLot(const std::string& id, Method m) {
    auto s = db::Transact(*pool_, [&](pqxx::work& tx) -> Status {
      tx.exec_params("INSERT INTO lots (lot_id, method) VALUES ($1, $2)", id, static_cast<int>(m));
      return Ok();
    });
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  // The whole protocol for one bid, as a handler runs it.
  Result<PlacedBid> Bid(const std::string& lot, const std::string& bidder, int64_t amount,
                        bool open = true) {
    NRP_RETURN_IF_ERROR(bidding_->Precheck(lot, "lot", amount));
    TestLots table(lot, open);
    auto placed = db::Transact(
        *pool_, [&](pqxx::work& tx) { return bidding_->Place(tx, table, bidder, amount, At(1)); });
    if (placed.ok()) bidding_->Publish(lot, *placed);
    return placed;
  }

  struct Row {
    int64_t seq;
    std::string bid_id;
    std::string bidder;
    int64_t amount;
  };
  std::vector<Row> Bids(const std::string& lot) {
    std::vector<Row> out;
    auto s = db::Transact(*pool_, [&](pqxx::work& tx) -> Status {
      for (const auto& r : tx.exec_params(
               "SELECT seq, bid_id, bidder, amount_fen FROM lot_bids WHERE lot_id = $1 ORDER BY "
               "seq",
               lot)) {
        out.push_back({r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(), r[3].as<int64_t>()});
      }
      return Ok();
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::shared_ptr<db::Pool> pool_;
  std::unique_ptr<cache::RedisClient> redis_;
  std::unique_ptr<LiveBoard> board_;
  std::unique_ptr<Bidding> bidding_;
};

TEST_F(BiddingTest, ConcurrentBiddersLoseNoAcceptedBidAndReorderNone) {
  AddLot("lot-hot", Method::kListing);
  constexpr int kBidders = 6;
  constexpr int kRounds = 15;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int b = 0; b < kBidders; ++b) {
    threads.emplace_back([&, b] {
      const std::string bidder = "B" + std::to_string(b);
      for (int i = 0; i < kRounds; ++i) {
        // Each bidder bids what the live board says is enough; a concurrent bid may have
        // raised it meanwhile, and the record then refuses this one.
        auto live = board_->Read("lot-hot");
        int64_t amount = kStart;
        if (live.ok() && *live) amount = (*live)->board.highest_fen + kIncrement;
        auto placed = Bid("lot-hot", bidder, amount);
        if (placed.ok()) {
          ++accepted;
        } else if (placed.error().reason() != "BID_TOO_LOW") {
          ADD_FAILURE() << placed.error().ToString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  const auto bids = Bids("lot-hot");
  ASSERT_EQ(static_cast<int>(bids.size()), accepted.load()) << "every accepted bid is recorded";
  ASSERT_GT(accepted.load(), kRounds) << "the bidders raised on one another";
  for (size_t i = 0; i < bids.size(); ++i) {
    EXPECT_EQ(bids[i].seq, static_cast<int64_t>(i + 1)) << "sequence numbers without gaps";
    if (i > 0) {
      EXPECT_GE(bids[i].amount, bids[i - 1].amount + kIncrement)
          << "each accepted bid raises the one before it by the increment";
    }
  }
  auto live = board_->Read("lot-hot");
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->board.seq, bids.back().seq) << "the live board ends equal to the record";
  EXPECT_EQ((*live)->board.highest_fen, bids.back().amount);
  EXPECT_EQ((*live)->board.highest_bid_id, bids.back().bid_id);
  EXPECT_EQ((*live)->board.highest_bidder_number, bids.back().bidder);
}

TEST_F(BiddingTest, ABidBelowTheBoardIsRefusedAndRecordsNothing) {
  AddLot("lot-1", Method::kAuction);
  ASSERT_TRUE(Bid("lot-1", "B1", kStart).ok());
  auto low = Bid("lot-1", "B2", kStart + kIncrement - 1);
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(low.error().reason(), "BID_TOO_LOW");
  EXPECT_NE(low.error().message().find("1050000"), std::string::npos) << low.error().message();
  // The same refusal from the record when the live board is gone.
  ASSERT_TRUE(board_->Remove("lot-1").ok());
  auto low_again = Bid("lot-1", "B2", kStart + kIncrement - 1);
  ASSERT_FALSE(low_again.ok());
  EXPECT_EQ(low_again.error().reason(), "BID_TOO_LOW");
  EXPECT_EQ(Bids("lot-1").size(), 1u);
  // The next accepted bid brings the board back.
  ASSERT_TRUE(Bid("lot-1", "B2", kStart + kIncrement).ok());
  EXPECT_EQ((*board_->Read("lot-1"))->board.seq, 2);
}

TEST_F(BiddingTest, ATenderTakesOneSealedBidPerBidderAndKeepsNoBoard) {
  AddLot("lot-t", Method::kTender);
  auto first = Bid("lot-t", "B1", kStart + 3);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(first->board.has_value());
  ASSERT_TRUE(Bid("lot-t", "B2", kStart).ok()) << "a tender bid need not raise the others";
  auto second = Bid("lot-t", "B1", kStart + 10);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Bids("lot-t").size(), 2u);
  EXPECT_FALSE(board_->Read("lot-t")->has_value());
}

TEST_F(BiddingTest, TheServicesRefusalUnderTheLockRecordsNothing) {
  AddLot("lot-c", Method::kListing);
  auto closed = Bid("lot-c", "B1", kStart, /*open=*/false);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().reason(), "LOT_STATE");
  EXPECT_TRUE(Bids("lot-c").empty());
  auto missing = Bid("lot-none", "B1", kStart);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
}

}  // namespace
}  // namespace nrp::auction
