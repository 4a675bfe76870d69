// class-transformer's metadata storage, where its decorators record what they change. Required by this path (as
// @nestjs/mapped-types does) so that it is the instance plainToInstance reads; the package ships its types apart.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
