#include "baselines.h"

#include <memory>
#include <pqxx/pqxx>
#include <vector>

#include "nrp/core/uuid.h"

namespace nrp::auction::bench {

namespace {
constexpr int64_t kStart = 100'000'000;
constexpr int64_t kIncrement = 10'000;
}  // namespace

testing::Figures LiveBoardBaseline(cache::RedisClient& redis, int threads, double seconds) {
  LiveBoard board(redis, "bench-" + NewUuidV4().substr(0, 8));
  std::atomic<int64_t> seq{0};
  return testing::RunThroughput(threads, seconds, [&](int, int64_t) {
    LiveBoardState s;
    s.board.seq = ++seq;
    s.board.highest_fen = kStart + s.board.seq * kIncrement;
    s.board.highest_bid_id = "b";
    s.board.highest_bidder_number = "001";
    s.method = Method::kListing;
    s.increment_fen = kIncrement;
    return board.Advance("hot", s).ok() ? testing::Outcome::kAccepted : testing::Outcome::kError;
  });
}

testing::Figures RowLockBaseline(const std::string& db_url, int threads, double seconds) {
  {
    pqxx::connection c(db_url);
    pqxx::work tx(c);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS bench_board (id int PRIMARY KEY, seq bigint NOT NULL, "
        "highest bigint NOT NULL)");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS bench_bids (id uuid PRIMARY KEY, seq bigint NOT NULL, "
        "amount bigint NOT NULL)");
    tx.exec("INSERT INTO bench_board VALUES (1, 0, 0) ON CONFLICT DO NOTHING");
    tx.commit();
  }
  std::vector<std::unique_ptr<pqxx::connection>> conns;
  for (int t = 0; t < threads; ++t) conns.push_back(std::make_unique<pqxx::connection>(db_url));
  return testing::RunThroughput(threads, seconds, [&](int t, int64_t) {
    try {
      pqxx::work tx(*conns[static_cast<size_t>(t)]);
      auto r = tx.exec1("SELECT seq, highest FROM bench_board WHERE id = 1 FOR UPDATE");
      const int64_t next = r[0].as<int64_t>() + 1;
      tx.exec_params("INSERT INTO bench_bids VALUES ($1, $2, $3)", NewUuidV7(), next,
                     r[1].as<int64_t>() + kIncrement);
      tx.exec_params("UPDATE bench_board SET seq = $1, highest = highest + $2 WHERE id = 1", next,
                     kIncrement);
      tx.commit();
      return testing::Outcome::kAccepted;
    } catch (const std::exception&) {
      return testing::Outcome::kError;
    }
  });
}

}  // namespace nrp::auction::bench
