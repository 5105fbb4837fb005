package io.ergate.jdbc;

public class ScratchDrainMain {
	public static void main(String[] args) throws Exception {
		var ds = TestDatabases.postgresPool(20);
		var options = JdbcOptions.builder().tablePrefix(TestDatabases.uniquePrefix("scratch")).build();
		JdbcSchema.initialize(ds, options);
		try {
			int jobs = Integer.parseInt(args[0]);
			System.out.println(Drain.run(ds, options, jobs, Integer.parseInt(args[1]), Integer.parseInt(args[2])));
		} finally {
			JdbcSchema.drop(ds, options);
			ds.close();
		}
	}
}
