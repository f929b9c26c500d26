// Package event holds business-matching events and their scheduler, apart from storage and the
// web: an event's days, sessions, breaks and tables and the slots they give; participants,
// meeting requests and the rules for making and answering them; and Solve, which places accepted
// meetings into (slot, table).
//
// # The scheduler
//
// Solve works on a Problem, which Event.Problem builds from an event, its participants, its
// requests and the last schedule, and which a file can also hold. It places meetings in four
// steps, each of which only adds to or improves what the one before left:
//
//  1. Fixed (locked) meetings go to their seat. One that cannot — a participant away, a clash
//     with another fixed meeting, a table gone — is reported in Conflicts with the reason and
//     not placed: a locked meeting never moves.
//  2. Meetings of the last schedule, published ones first, keep their slot and table while that
//     is still valid, their slot with another table when only the table is lost, and otherwise
//     are placed again in step 3. These meetings are pinned: nothing later moves them. Every
//     one that does not keep its seat is reported in Changes (table changed, moved, dropped)
//     with a message key saying why, so nothing is lost silently.
//  3. Greedy placement of the rest: highest priority first, then the meetings that a largest
//     choice within each participant's capacity (the b-matching of the bound) takes before those
//     it leaves out, then the meetings with the fewest possible slots, then those whose
//     participants have the most meetings. Each goes to the
//     slot where it fits that sits next to most meetings of its participants on the same day
//     (so days have few gaps), on the host's own table when free, else the smallest suitable
//     table no other host sits at; when every suitable table is taken, a meeting of that slot
//     that can sit elsewhere is moved to another table.
//  4. Repair of what is left out, by ejection chains and swaps. A chain puts the meeting in a
//     slot, takes out the meetings in its way there (its participants' meetings, one holding a
//     participant at its cap, or one holding the last suitable table) and places those again
//     the same way, up to three levels deep. A swap gives up the meetings in the way and
//     places other waiting meetings of the participants that freed. A chain or swap is kept
//     only when it improves the schedule in the order "more meetings of the highest priority,
//     then of the next": a must-meet meeting may push out a would-like one, never the reverse.
//     The passes end when one gains nothing (the order strictly improves, so they end). On
//     problems of up to a thousand meetings steps 3 and 4 run a second time without the
//     b-matching's order, and the better of the two schedules is kept.
//  5. Breaks, then tables. Single meetings placed in this run move to other free slots when
//     that lowers their participants' breaks, or keeps them and evens them out. With
//     MaxBreaksSpread, participants with more breaks than the fewest plus the spread have their
//     meetings tried in other slots, the counterpart's meeting there moving to a free slot of
//     its own, while that lowers the breaks over the limit; whoever is still over it is counted
//     in Schedule.OverSpread (meetings are never left out for it). Then a local search
//     (reduceBreaks) spends a fixed number of moves (Options.BreakMoves; by default 100 per pair
//     of movable meetings, at most three million, a second or two of one core) on fewer breaks:
//     a meeting moves to another slot where its participants, an interpreter and a table are
//     free, or two meetings of one participant swap their slots; pinned meetings never move and
//     every meeting stays placed, so the meetings per priority do not change. It lowers the
//     breaks plus three for each break over the spread limit, accepts a move that does not
//     raise them and, by simulated annealing with a seeded generator, sometimes one that does;
//     the best schedule seen is kept. Last, only tables change:
//     each host (the buyer) gets, per day, the table that suits most of its meetings and is free
//     at their slots, and each slot is seated again around those tables; Schedule.HostOneTable
//     and HostMainTable measure how far that goes.
//
// Guarantees, checked by the tests with a checker independent of the solver: no participant,
// interpreter or table is in two meetings at once; no meeting is in a slot where a participant
// is unavailable, outside its session, at an unavailable or unsuitable table (chairs, zone), or
// beyond a participant's caps (per event, per session); fixed meetings are where they were
// fixed or in Conflicts; every meeting is exactly one of placed, unscheduled (with a reason) or
// in conflict; on a re-run, meetings of the last schedule that are still possible keep their
// seat and every other one is in Changes. The output depends only on the input: there is no
// clock and no map order in it, and the work is bounded by Options.Effort and
// Options.BreakMoves.
//
// What it does not guarantee: the most meetings. Placing meetings under availability is
// NP-hard, so the scheduler is a heuristic, measured against a proven upper bound (Bound): the
// least of the meetings that have a possible slot, the sum over slots of what each slot can
// hold (tables free, and a maximum matching of the meetings possible in it), and a maximum
// b-matching in which each participant has at most as many meetings as its caps and possible
// slots allow (a maximum flow). Those three bound every valid schedule (Bound.AnySchedule); the
// scheduler, though, places must-meet meetings first, and a must-meet meeting may cost two
// would-like ones. So when the schedule places as many meetings of the top priority as the bound
// allows, Bound.PriorityFirst bounds what any schedule at least as good by that order can place:
// the heaviest b-matching when meetings of the top priorities weigh more than everything below
// them (a minimum-cost flow; the argument is in Bound's comment). Total is the least of all.
// On small problems the tests compare the scheduler and both bounds with exhaustive search (it
// reaches the optimum on at least 98.5 % of them and misses by at most one meeting; the bounds
// are never below the optimum); on generated instances of real shapes the benchmark and
// TestScheduleAgainstItsBound report placed / bound: 100 % on 60-participant brokerage events,
// where the schedule is so proven optimal, and 99.8–100 % on fair-sized ones (150 buyers,
// 300–450 suppliers, 2,000–3,000 requests over 32 slots) in one to two seconds of one core.
// The gap to the plain b-matching (about 1.6 % there) was found to be what the must-meet meetings
// cost: the linear relaxation of the time-indexed problem equals the b-matching, and an integer
// program reaches it when priorities are ignored, but with the must-meet meetings kept both drop
// to PriorityFirst (2,071 against 2,105 on the first 3,000-request instance, where the scheduler
// places 2,069). Step 4 also looks, slot by slot, for augmenting paths (a waiting meeting comes in
// for one of no higher priority that goes out, along a path that ends at someone free in the
// slot or freed by a Kempe chain between two slots) and places waiting meetings by Kempe chains.
package event
