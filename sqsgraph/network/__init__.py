"""Network: networkx graphs from the query store, their analytics, and the offline HTML views."""
