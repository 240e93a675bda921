// The live board against the real Redis: it only moves forward, whatever order concurrent
// updates arrive in, and a board it cannot read is left to the record.
#include "nrp/auction/live_board.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "nrp/core/uuid.h"
#include "nrp/testing/infra.h"

namespace nrp::auction {
namespace {

cache::RedisOptions Options() {
  cache::RedisOptions o;
  o.host = nrp::testing::GetInfra().redis_host;
  o.port = nrp::testing::GetInfra().redis_port;
  o.pool_size = 8;
  return o;
}

LiveBoardState At(int64_t seq) {
  LiveBoardState s;
  s.board = {seq, 1'000'000 + seq * 50'000, "b-" + std::to_string(seq), std::to_string(100 + seq)};
  s.method = Method::kListing;
  s.increment_fen = 50'000;
  s.starting_price_fen = 1'000'000;
  return s;
}

TEST(LiveBoard, MovesOnlyForwardAndReadsBackWhatItHolds) {
  cache::RedisClient redis(Options());
  LiveBoard board(redis, "auction-test-" + NewUuidV4().substr(0, 8));
  auto none = board.Read("lot-1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  EXPECT_TRUE(board.Advance("lot-1", At(2)).value());
  EXPECT_FALSE(board.Advance("lot-1", At(1)).value()) << "an older state never replaces a newer";
  EXPECT_FALSE(board.Advance("lot-1", At(2)).value());
  auto read = board.Read("lot-1");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->board.seq, 2);
  EXPECT_EQ((*read)->board.highest_fen, 1'100'000);
  EXPECT_EQ((*read)->board.highest_bid_id, "b-2");
  EXPECT_EQ((*read)->board.highest_bidder_number, "102");
  EXPECT_EQ((*read)->method, Method::kListing);
  EXPECT_EQ((*read)->increment_fen, 50'000);
  EXPECT_EQ((*read)->starting_price_fen, 1'000'000);

  ASSERT_TRUE(board.Remove("lot-1").ok());
  EXPECT_FALSE(board.Read("lot-1")->has_value());
}

TEST(LiveBoard, ConcurrentUpdatesInAnyOrderEndAtTheLatest) {
  cache::RedisClient redis(Options());
  LiveBoard board(redis, "auction-test-" + NewUuidV4().substr(0, 8));
  std::atomic<int> moved{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      // Each thread sends its share of 1..200 from the highest down.
      for (int64_t seq = 200 - t; seq >= 1; seq -= 8) {
        auto r = board.Advance("hot", At(seq));
        if (r.ok() && *r) moved.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  auto read = board.Read("hot");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->board.seq, 200);
  EXPECT_EQ((*read)->board.highest_bid_id, "b-200");
  EXPECT_GE(moved.load(), 1);
  EXPECT_LT(moved.load(), 200);
}

TEST(LiveBoard, ABoardItCannotReadIsLeftToTheRecord) {
  cache::RedisClient redis(Options());
  LiveBoard board(redis, "auction-test-" + NewUuidV4().substr(0, 8));
  // A board in the earlier layout (the contract's method number, no auction_method).
  ASSERT_TRUE(
      redis
          .Command({"HSET", board.Key("old"), "seq", "3", "highest", "1150000", "bid_id", "b-3",
                    "bidder", "103", "method", "5", "increment", "50000", "starting", "1000000"})
          .ok());
  auto old = board.Read("old");
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
  // The next bid rewrites it in full.
  EXPECT_TRUE(board.Advance("old", At(4)).value());
  EXPECT_EQ(board.Read("old").value()->board.seq, 4);
  // A damaged one is not read either.
  ASSERT_TRUE(redis.Command({"HSET", board.Key("old"), "highest", "lots"}).ok());
  EXPECT_FALSE(board.Read("old").value().has_value());
}

}  // namespace
}  // namespace nrp::auction
