// The same-run baselines of a bid benchmark, for land supply's offers and mining rights'
// grant offers alike:
//   redis-lua  the live board's Lua script alone on one hot key;
//   pg-row     a bid's database work alone on one hot row: lock the row, insert a bid, update
//              the row, commit.
// A service's bid rate on one hot lot is read against these two.
#pragma once

#include <string>

#include "nrp/auction/live_board.h"
#include "nrp/testing/throughput.h"

namespace nrp::auction::bench {

testing::Figures LiveBoardBaseline(cache::RedisClient& redis, int threads, double seconds);
// In tables of its own (bench_board, bench_bids) of the database at `db_url`.
testing::Figures RowLockBaseline(const std::string& db_url, int threads, double seconds);

}  // namespace nrp::auction::bench
