package dev.turnout.testkit;

/** The smoke test against the embedded components every machine has. */
class EmbeddedInfrastructureSmokeTest extends InfrastructureSmoke {

    @Override
    String kafkaBootstrap() {
        return SharedInfrastructure.kafka().bootstrap();
    }

    @Override
    String jdbcUrl() {
        return SharedInfrastructure.postgres().jdbcUrl("postgres");
    }

    @Override
    String user() {
        return Postgres.USER;
    }

    @Override
    String password() {
        return "";
    }
}
