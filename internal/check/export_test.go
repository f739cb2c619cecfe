package check

// resetActionFacts empties the action-facts cache (benchmarks of a first run).
func resetActionFacts() {
	actionFactsCache.Lock()
	actionFactsCache.m = nil
	actionFactsCache.Unlock()
}
