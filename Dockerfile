# The cyberkg service (GraphQL API + loader). Neo4j runs in its own container (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY bin ./bin
COPY src ./src
COPY cypher ./cypher
COPY graphql ./graphql
COPY data ./data
COPY neo4j ./neo4j
# The IDE preloads the README's example queries.
COPY README.md ./
ENV NODE_ENV=production
EXPOSE 4000
CMD ["node", "bin/cyberkg.js", "start"]
